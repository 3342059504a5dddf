"""The words of the generated mailbox (mail_corpus.py): names, subjects, sentences and providers, in
French and English. Data only, kept apart so the generator reads as what it does."""

FIRST_FR = [
    "Élodie",
    "Camille",
    "Léa",
    "Chloé",
    "Manon",
    "Inès",
    "Hugo",
    "Lucas",
    "Théo",
    "Jérôme",
    "François",
    "Anaïs",
]
LAST_FR = ["Martin", "Bernard", "Dubois", "Lefèvre", "Moreau", "Girard", "Rousseau", "Bonnet", "Mercier", "Faure"]
FIRST_EN = ["Emma", "Olivia", "Amelia", "Jack", "Harry", "George", "Noah", "Sophie", "Grace", "Oscar", "Ruby", "Leo"]
LAST_EN = ["Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Davies", "Evans", "Walker", "O'Neill"]

SUBJECTS_FR = [
    "Commande {n} non reçue",
    "Problème de livraison – commande {n}",  # noqa: RUF001 - as French mail writes it
    "Demande de remboursement {n}",
    "Article abîmé à la réception",
    "Changement d'adresse de livraison",
    "Question sur la garantie",
    "Facture de la commande {n}",
    "Échange de taille",
    "Code promo refusé",
    "Suivi du colis {n}",
]
SUBJECTS_EN = [
    "Order {n} not received",
    "Where is my parcel? Order {n}",
    "Refund request for order {n}",
    "Item arrived damaged",
    "Change of delivery address",
    "Question about the warranty",
    "Invoice for order {n}",
    "Wrong size received",
    "Discount code not working",
    "Tracking number for {n}",
]
SENTENCES_FR = [
    "J'ai passé commande il y a maintenant dix jours et je n'ai toujours rien reçu.",
    "Le suivi indique que le colis est bloqué au centre de tri depuis lundi.",
    "Pourriez-vous me dire où en est ma commande ?",
    "L'article est arrivé avec le carton déchiré et l'écran fêlé.",
    "Je souhaiterais être remboursée plutôt que de recevoir un nouvel article.",
    "Est-il possible de modifier l'adresse de livraison avant l'expédition ?",
    "J'ai bien reçu la facture mais le montant de la TVA me semble erroné.",
    "La taille M est trop petite, je voudrais l'échanger contre un L.",
    "Le code de réduction indiqué dans votre courriel n'est pas accepté au paiement.",
    "Je reste disponible par téléphone au besoin, de préférence l'après-midi.",
    "Merci d'avance pour votre retour rapide, c'est un cadeau d'anniversaire.",
    "Vous trouverez ci-joint la photo du produit tel que je l'ai reçu.",
    "C'est la deuxième fois que cela m'arrive, je commence à m'inquiéter.",
    "Le livreur a indiqué « absent » alors que j'étais chez moi toute la journée.",
]
SENTENCES_EN = [
    "I placed my order ten days ago and still have not received anything.",
    "The tracking page says the parcel has been stuck at the depot since Monday.",
    "Could you please let me know where my order is?",
    "The item arrived with a torn box and a cracked screen.",
    "I would prefer a refund rather than a replacement.",
    "Is it possible to change the delivery address before it ships?",
    "I received the invoice but the VAT amount looks wrong to me.",
    "The medium is too small, I would like to exchange it for a large.",
    "The discount code from your newsletter is rejected at checkout.",
    "I am happy to be called if that is easier, ideally in the afternoon.",
    "Thanks in advance for a quick answer, it is a birthday present.",
    "Please find attached a photo of the product as I received it.",
    "This is the second time this has happened and I am getting worried.",
    "The courier marked me as absent although I was at home all day.",
]
PROVIDERS = ["gmail.com", "outlook.fr", "hotmail.co.uk", "orange.fr", "free.fr", "laposte.net", "acme-corp.example"]
