"""One tenant's AI replies, as a small business would set them up: a company prompt of a few
paragraphs, a knowledge base of eight documents (what its customers ask, about 5,000 characters) and twenty SMS
from its customers, in French and English, some the base answers, some it does not, some for a
person (a refund). The stable part of a reply's prompt is then about 2,600 tokens (characters / 4)."""

from __future__ import annotations

COMPANY_PROMPT = """Nous sommes Cyclo Atelier, magasin et atelier de réparation de vélos à Nantes
(8 quai de la Fosse, 44000 Nantes). Nous vendons des vélos de ville, des vélos électriques, des
vélos cargo et des accessoires, en boutique et sur https://cyclo-atelier.fr.

Ton : chaleureux, simple et précis, vouvoiement en français. Réponds dans la langue du client.
Par SMS, fais court : deux ou trois phrases, sans formule de politesse à rallonge.

Ce que tu peux dire : les horaires, les tarifs d'atelier, les délais, la prise de rendez-vous,
l'état d'une commande tel que le client le décrit, nos conditions de garantie, de retour et de
livraison, telles que la base de connaissances les donne. Le lien de prise de rendez-vous est
https://cyclo-atelier.fr/rdv et notre téléphone est le 02 40 00 12 34.

Ce que tu ne fais jamais : promettre un remboursement, un avoir, une remise ou un geste
commercial (une personne de l'équipe décide) ; donner un prix qui n'est pas dans la base ;
diagnostiquer une panne à distance comme certaine ; parler d'un autre client.

Signe « L'équipe Cyclo Atelier »."""

KNOWLEDGE = [
    {
        "title": "Horaires et accès",
        "text": "# Horaires\n\nLa boutique et l'atelier sont ouverts du mardi au samedi, de 9 h 30 à 19 h, sans "
        "interruption. Le lundi, l'atelier seul est ouvert de 14 h à 19 h pour les réparations urgentes sur "
        "rendez-vous. Nous sommes fermés le dimanche et les jours fériés, et la dernière semaine d'août.\n\n"
        "# Accès\n\nNous sommes au 8 quai de la Fosse, à deux minutes de l'arrêt de tram Chantiers Navals "
        "(ligne 1). Un arceau de stationnement pour six vélos est devant la boutique ; pour un vélo cargo, "
        "entrez par la cour au 10 quai de la Fosse.\n\n# Opening hours (English)\n\nThe shop and workshop are "
        "open Tuesday to Saturday, 9:30 am to 7 pm. On Mondays the workshop alone opens 2 pm to 7 pm for urgent "
        "repairs by appointment. Closed on Sundays and public holidays.",
    },
    {
        "title": "Atelier : tarifs et délais",
        "text": "# Révisions\n\nLa révision simple (réglages des freins et des vitesses, serrage, graissage de "
        "la chaîne, contrôle des pneus) coûte 45 € et se fait en général sous 48 heures. La révision complète "
        "(révision simple, plus nettoyage de la transmission, dévoilage des roues et contrôle des roulements) "
        "coûte 89 € et prend trois à cinq jours ouvrés. Pour un vélo électrique, ajoutez 20 € pour le "
        "diagnostic du moteur et de la batterie.\n\n# Petites réparations\n\nUne crevaison est réparée pendant "
        "que vous attendez, en 20 minutes, pour 15 € (chambre à air comprise). Un changement de câble coûte "
        "12 € plus la pièce, un changement de plaquettes 18 € plus la pièce.\n\n# Devis\n\nAu-delà de 60 € de "
        "pièces, nous vous envoyons un devis par SMS avant de commencer ; sans réponse de votre part, le vélo "
        "attend. Un vélo réparé doit être retiré dans les 30 jours.",
    },
    {
        "title": "Rendez-vous à l'atelier",
        "text": "# Prendre rendez-vous\n\nLes révisions et réparations se font sur rendez-vous, pris en ligne sur "
        "https://cyclo-atelier.fr/rdv ou au 02 40 00 12 34 pendant les heures d'ouverture. Déposez le vélo le "
        "matin du rendez-vous entre 9 h 30 et 11 h. Pour une crevaison, pas besoin de rendez-vous : passez "
        "directement.\n\n# Annuler ou déplacer\n\nUn rendez-vous se déplace ou s'annule gratuitement jusqu'à la "
        "veille, par le lien reçu dans le SMS de confirmation.\n\n# Appointments (English)\n\nBook a service on "
        "https://cyclo-atelier.fr/rdv or call 02 40 00 12 34. Drop the bike off between 9:30 and 11 am on the "
        "day. Punctures need no appointment.",
    },
    {
        "title": "Commandes en ligne et livraison",
        "text": "# Livraison\n\nLes accessoires commandés avant 13 h partent le jour même (du lundi au vendredi) "
        "et arrivent en 2 à 3 jours ouvrés en France métropolitaine, par Colissimo. La livraison est offerte "
        "dès 60 € d'achat, sinon elle coûte 5,90 €. Le lien de suivi arrive par e-mail au départ du colis.\n\n"
        "# Vélos\n\nUn vélo commandé en ligne est monté et réglé à l'atelier, puis retiré en boutique (gratuit) "
        "ou livré à Nantes et dans les communes voisines par notre triporteur (25 €), sous 5 à 8 jours ouvrés. "
        "Nous ne livrons pas de vélos hors de Loire-Atlantique.\n\n# Retrait en boutique\n\nUne commande se "
        "retire avec son numéro de commande, dès réception du SMS « commande prête ».",
    },
    {
        "title": "Retours et échanges",
        "text": "# Retours\n\nVous avez 30 jours après réception pour retourner un accessoire non utilisé, dans son "
        "emballage d'origine, avec son numéro de commande. Le retour en boutique est gratuit ; par la poste, il "
        "est à votre charge. Les pièces montées sur un vélo, les chambres à air et les articles soldés ne sont "
        "ni repris ni échangés.\n\n# Vélos\n\nUn vélo neuf se retourne dans les 14 jours s'il n'a pas roulé. "
        "Pour toute demande de remboursement, une personne de l'équipe vous répond sous deux jours ouvrés.",
    },
    {
        "title": "Garantie",
        "text": "# Garantie des vélos\n\nLes cadres sont garantis 5 ans, les autres pièces 2 ans (garantie légale de "
        "conformité). La batterie et le moteur d'un vélo électrique sont garantis 2 ans ou 500 cycles de "
        "charge. L'usure normale (pneus, chaîne, plaquettes, câbles) n'est pas couverte.\n\n# Faire jouer la "
        "garantie\n\nApportez le vélo à l'atelier avec la facture ; nous faisons le diagnostic gratuitement et "
        "vous disons sous 5 jours ouvrés si la garantie s'applique. Pendant une réparation sous garantie de "
        "plus d'une semaine, nous vous prêtons un vélo de ville.",
    },
    {
        "title": "Vélos électriques et batteries",
        "text": "# Batteries\n\nUne batterie se recharge en 4 à 6 heures sur une prise ordinaire ; ne la laissez pas "
        "sous 10 % pendant l'hiver. Nous vendons des batteries de remplacement pour les moteurs Bosch, Shimano "
        "et Bafang, de 450 € à 790 € selon la capacité ; la pose est offerte.\n\n# Essais\n\nVous pouvez essayer "
        "tous nos vélos électriques et cargo en boutique, sans rendez-vous, avec une pièce d'identité. Un essai "
        "d'une journée coûte 20 €, déduits si vous achetez le vélo.\n\n# Aides\n\nNantes Métropole et l'État "
        "aident à l'achat d'un vélo électrique ou cargo sous conditions de ressources : nous vous remettons la "
        "facture et l'attestation demandées.",
    },
    {
        "title": "Location et entreprises",
        "text": "# Location\n\nNous louons des vélos de ville (15 € la journée, 60 € la semaine) et des vélos "
        "électriques (30 € la journée, 120 € la semaine), casque et antivol compris, avec une caution de 300 € "
        "par empreinte de carte. La location se réserve en boutique ou au 02 40 00 12 34.\n\n# Entreprises\n\n"
        "Nous entretenons des flottes de vélos d'entreprise, sur place une fois par mois. Pour un devis, "
        "écrivez à pro@cyclo-atelier.fr avec le nombre et le type de vélos.",
    },
]

# Each sent once, from its own number (benchmarks/autoreply.py): no conversation holds an earlier
# auto-reply, which the loop guard would rightly refuse to follow within 2 minutes.
CUSTOMER_SMS = [
    "Bonjour, vous êtes ouverts le lundi ? Je voudrais faire réparer ma crevaison.",
    "Combien coûte une révision complète pour un vélo électrique svp ?",
    "Hello, what are your opening hours on Saturday?",
    "Bonjour, ma commande d'antivol est partie ? Commande passée hier à midi.",
    "Je voudrais prendre rendez-vous pour une révision la semaine prochaine, comment faire ?",
    "Est-ce que vous livrez les vélos à Rennes ?",
    "Bonjour, je veux être remboursé de ma révision, mes freins grincent toujours.",
    "Vous louez des vélos électriques ? Pour un week-end à deux.",
    "Ma batterie Bosch ne tient plus la charge, vous en vendez ? À quel prix ?",
    "Hi, can I book a bike service online? I'm visiting Nantes next week.",
    "Bonjour, je peux essayer un vélo cargo avant de l'acheter ?",
    "La garantie couvre-t-elle le moteur de mon VAE acheté il y a 18 mois ?",
    "Vous réparez les trottinettes électriques ?",
    "Bonjour, je peux retourner un casque acheté il y a 10 jours ? Jamais porté.",
    "Combien de temps pour une révision simple ? J'en ai besoin pour vendredi.",
    "Bonjour, il y a des aides pour acheter un vélo électrique à Nantes ?",
    "Je dois déplacer mon rendez-vous de demain, c'est possible ?",
    "Où est-ce que je gare mon vélo cargo quand je viens à la boutique ?",
    "Bonsoir, vous faites des remises pour les étudiants ?",
    "Is the shop open on Sunday? I need a new inner tube.",
]
